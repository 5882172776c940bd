"""The S&T achievements, conversions, technology contracts, awards (科技成果、技术合同、科技奖励) registry."""
