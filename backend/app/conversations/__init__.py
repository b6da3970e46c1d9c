"""Conversations: the stored questions and answers of each user, and feedback on the answers."""
