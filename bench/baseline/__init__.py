"""The baseline: the same intake written as python-telegram-bot's own examples write a conversation.

bot.py is the bot (a ConversationHandler, PicklePersistence, answers in user_data); run.py drives it
with the same in-process Bot API and the same simulated people as our bot.
"""
