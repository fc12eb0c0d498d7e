"""The strategies board: strategies, ratings, the board page, its open data and its feed."""
