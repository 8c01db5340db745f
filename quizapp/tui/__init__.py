"""The Textual front end. Everything it shows comes from the deck and the study sessions."""
