"""The real VS Code test's installer (install.py) and UI driver (drive.mjs); see test_vscode_real.py."""
