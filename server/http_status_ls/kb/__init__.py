"""Facts only: the knowledge base and the tables every feature reads. No text for people, no LSP."""
