"""The moderators' desk: the queue, decisions, word rules, blocks, reports and the digest."""
