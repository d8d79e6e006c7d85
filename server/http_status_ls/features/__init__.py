"""Analysis in, plain values (or lsprotocol values) out: hover, completion, diagnostics, actions."""
