"""The supervisor's live floor: who sits where, every line's wait, and the floor actions."""
