"""Puxian romanization: PSP (莆仙话拼音), BUC (興化平話字) and IPA, converted both ways.

Standalone and pure Python: nothing here imports the web application or reads data files.
"""
