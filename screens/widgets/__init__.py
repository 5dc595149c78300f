"""Widgets shared by the screens of every workflow."""
