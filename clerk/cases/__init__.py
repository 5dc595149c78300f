"""Cases (办件): intake at the counter, the lawful outcomes of 行政许可法 Art 32, their papers."""
