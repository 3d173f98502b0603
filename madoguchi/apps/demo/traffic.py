"""A day's traffic for the demo: residents at the other kiosks and staff at the other counters.

Residents arrive at random (exponential gaps), pick services with realistic weights and languages with the
hall's mix; staff bots call, start and finish with service times drawn around each service's mean. ``speed``
compresses time (speed 10: a 6-minute service takes 36 s). It only talks to the server through the client.
"""

from __future__ import annotations

import logging
import random
import threading

from madoguchi.client.hall_client import ClientError, HallClient, new_request_id
from madoguchi.core.config import HallConfig
from madoguchi.core.life_events import guidance

log = logging.getLogger(__name__)

SERVICE_WEIGHTS = {
    "juminhyo": 30,
    "inkan": 12,
    "koseki": 10,
    "tennyu": 10,
    "tenshutsu": 8,
    "tenkyo": 6,
    "mynumber": 8,
    "kokuho": 6,
    "jido_teate": 4,
    "zei_shomei": 8,
}
#: the share of residents who come for a life event (one ticket through several counters)
LIFE_EVENT_SHARE = 0.1
LANGUAGE_WEIGHTS = {"ja": 70, "en": 6, "zh-Hans": 6, "vi": 6, "ko": 3, "pt-BR": 4, "ne": 2, "tl": 2, "es": 1}


class TrafficGenerator:
    def __init__(
        self,
        config: HallConfig,
        kiosks: list[HallClient],
        staff: dict[int, HallClient],
        *,
        speed: float = 10.0,
        arrivals_per_hour: float = 60.0,
        seed: int = 7,
    ) -> None:
        self.config = config
        self.kiosks = kiosks
        self.staff = staff
        self.speed = max(speed, 0.1)
        self.arrivals_per_hour = arrivals_per_hour
        self.rng = random.Random(seed)
        self._stop = threading.Event()
        #: tickets the simulated residents took, and the simulated staff finished
        self.issued = 0
        self.served = 0
        self._threads: list[threading.Thread] = []

    def start(self) -> None:
        self._threads.append(threading.Thread(target=self._residents, name="demo-residents", daemon=True))
        for counter, client in self.staff.items():
            self._threads.append(
                threading.Thread(
                    target=self._counter, args=(counter, client), name=f"demo-counter-{counter}", daemon=True
                )
            )
        for t in self._threads:
            t.start()

    def stop(self) -> None:
        self._stop.set()
        for t in self._threads:
            t.join(3)

    def _sleep_minutes(self, minutes: float) -> bool:
        return self._stop.wait(minutes * 60.0 / self.speed)

    def _residents(self) -> None:
        services = [s.id for s in self.config.services if s.id in SERVICE_WEIGHTS] or list(self.config.service_ids())
        weights = [SERVICE_WEIGHTS.get(s, 1) for s in services]
        langs = list(LANGUAGE_WEIGHTS)
        lang_weights = list(LANGUAGE_WEIGHTS.values())
        mean_gap_min = 60.0 / self.arrivals_per_hour
        while not self._sleep_minutes(self.rng.expovariate(1.0 / mean_gap_min)):
            kiosk = self.rng.choice(self.kiosks)
            service = self.rng.choices(services, weights)[0]
            language = self.rng.choices(langs, lang_weights)[0]
            route: list[str] | None = None
            event_id = None
            if self.config.life_events and self.rng.random() < LIFE_EVENT_SHARE:
                event = self.rng.choice(self.config.life_events)
                answers = {q.id: self.rng.random() < 0.5 for q in event.questions}
                route = list(guidance(event, answers).route)
                service, event_id = route[0], event.id
            try:
                kiosk.issue(
                    service,
                    language=language,
                    request_id=new_request_id(),
                    route=route if route and len(route) > 1 else None,
                    life_event=event_id,
                )
                self.issued += 1
            except ClientError as exc:
                log.info("demo resident could not take a ticket: %s", type(exc).__name__)

    def _counter(self, counter: int, client: HallClient) -> None:
        while not self._stop.is_set():
            try:
                t = client.call_next(counter)
            except ClientError:
                if self._sleep_minutes(0.5):
                    return
                continue
            if t is None:
                if self._sleep_minutes(0.5):
                    return
                continue
            mean = self.config.service(t.service_id).mean_service_min
            try:
                if self._sleep_minutes(self.rng.uniform(0.3, 1.0)):  # walking up to the counter
                    return
                if self.rng.random() < 0.04:
                    client.no_show(t.id, counter)
                    continue
                client.start(t.id, counter)
                if self._sleep_minutes(self.rng.lognormvariate(0, 0.4) * mean):
                    return
                client.done(t.id, counter)
                self.served += 1
            except ClientError as exc:
                log.info("demo counter %d: %s", counter, type(exc).__name__)
