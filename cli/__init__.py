"""The ``clerk`` command: the composition root that wires clerk/, screens/ and printing/."""
