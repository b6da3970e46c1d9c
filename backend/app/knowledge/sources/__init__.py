"""Readers for every source format the knowledge base accepts; each yields `ParsedDocument`s."""
