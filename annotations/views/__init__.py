"""The views, one module per page family; annotations/urls.py is the one table of addresses."""
