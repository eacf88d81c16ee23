"""The WeCom (企业微信) adapter: a self-built app (自建应用) gives dealers and staff the same conversations
as the Telegram bot, through the same ``handlers``.

- ``crypto``: ``WeComCrypto``, WXBizMsgCrypt (signature, AES-256-CBC, receiveid) with ``cryptography``.
- ``callback``: ``/wecom/callback`` (GET URL verification, POSTed messages and events); freshness,
  signature, receiveid and replay checks (``replay``: nonces in process or in Redis).
- ``inbound``: ``WeComInbound``, callback XML -> ``Inbound`` (text, binding codes, pictures through
  ``media/get``, voice recognition text, locations, menu clicks, template-card buttons).
- ``processor``: ``WeComUpdates``, the background pipeline after the 200; replies queued as
  ``chat.reply`` outbox rows (``ReplyQueue``).
- ``client``: ``WeComClient``, gettoken (cached, shared through Redis, refreshed), message/send,
  media upload/get, update_template_card.
- ``sender``: ``WeComSender``, the outbox worker's sender for the "wecom" channel.
- ``channel``: ``build_wecom_channel``, all of it from settings.
"""
