"""The dramatiq broker the settings name: Redis or RabbitMQ in production, in-process for the default."""

from __future__ import annotations

import dramatiq
from dramatiq.brokers.stub import StubBroker
from dramatiq.middleware import Middleware

from payables.settings import Settings


def make_broker(settings: Settings, middleware: list[Middleware] | None = None) -> dramatiq.Broker:
    url = settings.broker_url
    broker: dramatiq.Broker
    if settings.embedded_broker or url is None:
        broker = StubBroker(middleware=middleware)
        broker.emit_after("process_boot")
    elif url.startswith(("redis://", "rediss://")):
        from dramatiq.brokers.redis import RedisBroker

        # A worker killed mid-message stops heart-beating; after this timeout another worker takes the
        # message back from the dead worker's queue and runs it again.
        broker = RedisBroker(  # type: ignore[no-untyped-call]
            url=url, middleware=middleware, heartbeat_timeout=settings.broker_heartbeat_timeout_ms,
            maintenance_chance=settings.broker_maintenance_chance, dead_message_ttl=7 * 24 * 3600 * 1000)
    else:
        from dramatiq.brokers.rabbitmq import RabbitmqBroker

        broker = RabbitmqBroker(url=url, middleware=middleware)
    return broker
