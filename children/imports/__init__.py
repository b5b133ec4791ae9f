"""Importing an existing registry from an XLSX: template, dry run, import (issue #6.5).

The template's data sheets carry translated headers in row 1 and a hidden row of stable
column keys in row 2; `reading` finds columns by key, or by the header in any of the
three languages, so a file filled in Kazakh imports the same as one filled in Russian.
"""
