"""Pure modules: text, files, links and export formats. Nothing here imports Django or the models."""
