# The puck on the air with aioble (PROTOCOL.md sections 1, 2 and 7): GATT services, advertising with the
# battery level, commands from the Control characteristic, and data and status notifications.
#
# One asyncio loop. The board's sample timer fills the Puck and sets `wake`; the pump task sends what is
# ready. A MicroPython peripheral cannot answer a write with an ATT error (the stack acknowledges every write
# before Python sees it), so a malformed command is acknowledged, ignored and reported on the USB console.
import asyncio
import time

import aioble
import bluetooth
import puck_core
import puck_wire as wire
from micropython import const

_ADV_INTERVAL_US = const(100_000)
_PREFERRED_MTU = const(247)  # 15 samples per notification (section 3.4)
_BATTERY_EVERY_S = 10
_READVERTISE_MS = const(60_000)  # refresh the battery level in the advertisement this often
_CUES_EVERY_S = 0.02


class PuckServer:
    """Serve ``puck`` (a puck_core.Puck) over BLE, with ``board`` for the sample timer, battery and cues."""

    def __init__(self, puck, board, cues):
        self.puck = puck
        self.board = board
        self.cues = cues
        self.wake = asyncio.ThreadSafeFlag()  # set() is safe from the timer callback
        self.connection = None
        self.tasks = []
        self.refused = 0  # malformed commands seen (the console says which ATT error they deserved)
        puck.retime = self._retime
        service = aioble.Service(bluetooth.UUID(wire.SERVICE_UUID))
        self.data = aioble.Characteristic(service, bluetooth.UUID(wire.DATA_UUID), notify=True)
        self.control = aioble.Characteristic(
            service, bluetooth.UUID(wire.CONTROL_UUID), write=True, capture=True
        )
        self.status = aioble.Characteristic(
            service, bluetooth.UUID(wire.STATUS_UUID), read=True, notify=True, initial=puck.status()
        )
        info = aioble.Service(bluetooth.UUID(wire.DEVICE_INFO_UUID16))
        for uuid, text in (
            (wire.MANUFACTURER_UUID16, "RepQuest DIY"),
            (wire.MODEL_UUID16, board.model),
            (wire.SERIAL_UUID16, board.serial),
            (wire.FIRMWARE_REV_UUID16, ".".join(str(part) for part in puck_core.FIRMWARE)),
        ):
            aioble.Characteristic(info, bluetooth.UUID(uuid), read=True, initial=text.encode())
        battery = aioble.Service(bluetooth.UUID(wire.BATTERY_SERVICE_UUID16))
        self.battery = aioble.Characteristic(
            battery,
            bluetooth.UUID(wire.BATTERY_LEVEL_UUID16),
            read=True,
            notify=True,
            initial=bytes((puck.battery_pct,)),
        )
        aioble.register_services(service, info, battery)
        aioble.config(mtu=_PREFERRED_MTU)

    # -- called by the Puck and the timer ---------------------------------------------------------------------

    def _retime(self, rate_hz):
        self.board.start_sampling(rate_hz, self._on_timer)

    def _on_timer(self, _timer):
        self.puck.on_sample(time.ticks_us())
        if self.puck.outbox or self.puck.status_due:
            self.wake.set()

    # -- tasks --------------------------------------------------------------------------------------------------

    async def run(self):
        """Advertise, serve one central at a time, and advertise again when it leaves. Runs forever."""
        self.tasks = [asyncio.create_task(job()) for job in (self._control, self._battery, self._cues)]
        while True:
            # A slow, dim swell says "switched on, waiting for the app" (the screen stays off to save power).
            self.cues.set_led(40, 0, 0, wire.LED_PULSE, 2000, time.ticks_ms())
            try:
                connection = await aioble.advertise(
                    _ADV_INTERVAL_US,
                    adv_data=wire.advertising_data(self.puck.battery_pct),
                    resp_data=wire.scan_response(self.board.name),
                    timeout_ms=_READVERTISE_MS,
                )
            except asyncio.TimeoutError:  # noqa: UP041  (MicroPython has no builtin TimeoutError)
                continue  # start again with today's battery level in the advertisement
            self.cues.set_led(0, 0, 0, wire.LED_OFF, 0, time.ticks_ms())  # the app drives the LED now
            self.connection = connection
            pump = asyncio.create_task(self._pump(connection))
            try:
                await connection.disconnected(timeout_ms=None)
            finally:
                self.connection = None
                pump.cancel()
                self.puck.link_lost()  # section 7: stop streaming, keep the sequence counter

    def _sync_mtu(self, connection):
        if connection.mtu and connection.mtu != self.puck.mtu:
            self.puck.set_mtu(connection.mtu)

    async def _control(self):
        while True:
            connection, data = await self.control.written()
            if connection is None:
                continue  # the central left between its write and now
            self._sync_mtu(connection)
            try:
                self.puck.command(data, time.ticks_us(), time.ticks_ms())
            except wire.CommandError as exc:
                self.refused += 1
                print(f"puck: ignored a malformed command (ATT error 0x{exc.code:02x}: {exc})")
            self.wake.set()

    async def _pump(self, connection):
        while True:
            await self.wake.wait()
            self._sync_mtu(connection)
            while True:
                data = self.puck.take()
                if data is None:
                    break
                try:
                    self.data.notify(connection, data)
                except OSError:
                    # The radio's buffers are full: keep it for the next wake (the Puck drops the oldest
                    # when too many wait, and says so in the status record).
                    self.puck.outbox.insert(0, data)
                    await asyncio.sleep(0.005)
                    self.wake.set()
                    break
            if self.puck.status_due:
                self.puck.status_due = False
                record = self.puck.status()
                self.status.write(record)
                self.status.notify(connection, record)
                level = bytes((self.puck.battery_pct,))
                if level != self.battery.read():
                    self.battery.write(level)
                    self.battery.notify(connection, level)

    async def _battery(self):
        while True:
            self.puck.set_battery(self.board.battery_pct(), self.board.charging())
            if self.puck.status_due:
                self.wake.set()
            await asyncio.sleep(_BATTERY_EVERY_S)

    async def _cues(self):
        while True:
            now = time.ticks_ms()
            self.board.show(self.cues.led(now), self.cues.buzz(now))
            self.board.poll_power_button(now)
            await asyncio.sleep(_CUES_EVERY_S)


def build(board):
    """The puck as it runs on ``board`` (a puck_board.Board or another board module's Board)."""
    import puck_cues

    cues = puck_cues.Cues()
    puck = puck_core.Puck(board.imu, cues, board.touched, lambda _rate: None)
    puck.set_battery(board.battery_pct(), board.charging())
    puck.status_due = False  # nobody is connected yet to be told
    return PuckServer(puck, board, cues)


def main():
    """Start the puck: main.py calls this at power-on."""
    import puck_board

    board = puck_board.Board()
    server = build(board)
    if not board.imu.ok:
        print("puck: the motion sensor did not answer (IMU fault): every reading will be 0")
    print("puck: advertising as", board.name)
    asyncio.run(server.run())
