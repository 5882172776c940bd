"""kechuang (科创): county science, technology and innovation management platform."""

__version__ = "0.1.0"
