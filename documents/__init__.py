"""Documents rendered for people: the contract PDF (reportlab). Depends on core only."""
