"""Small modal dialogs shared by the screens of every workflow."""
