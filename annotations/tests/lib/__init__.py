"""Tests of the pure modules in annotations/lib: no database, no request."""
