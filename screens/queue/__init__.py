"""Queue calling: the calling screen, the kiosk, 潮汐窗口."""
