"""Opening hours of a centre: per weekday, Saturday lines, township Sundays, 午间不间断,
早晚弹性 and the closing time that 延时服务 counts from (PRODUCT.md §1; seeds 000–002).

``rules`` holds the pure functions; ``load`` reads a centre's hours from the store.
"""
