"""The booking table (预约): slots, bookings, check-in codes and booking platforms."""
