# What the puck firmware owns (PROTOCOL.md sections 3-5), free of radio and pins so it runs anywhere.
#
# Streaming state, sample rate, the device clock, sequence numbers, MTU-fitted batching, the status record and
# what the host asked the cues to do. The board's sample timer calls on_sample() once per sample period; the
# radio task takes finished notifications with take(). on_sample() runs from a soft timer callback, which may
# run between any two bytecodes of a task, so everything it shares with the tasks changes by one assignment
# or one list append/pop, never by a multi-step update.
import puck_wire as wire
from micropython import const

FIRMWARE = (1, 0, 0)  # section 2: also the Firmware Revision string, "1.0.0"
_MAX_QUEUED = const(8)  # notifications waiting for the radio; beyond this the oldest is dropped
_RESYNC_PERIODS = const(4)  # the timer fell this far behind: samples were lost, so move the clock on
_BATTERY_LOW_PCT = const(15)  # section 5: the battery_low flag
_TICKS_MASK = const(0x3FFFFFFF)  # MicroPython's ticks_us() wraps at 2**30, a multiple of section 3.2's 2**24


def ticks_diff(a, b):
    """a - b for two readings of a clock that wraps at 2**30 (as time.ticks_diff does on the board)."""
    d = (a - b) & _TICKS_MASK
    return d - (_TICKS_MASK + 1) if d > _TICKS_MASK >> 1 else d


class Puck:
    """The firmware's state machine.

    Args:
        imu: the motion sensor (see puck_imu.py): read(counts) fills six protocol counts and returns True when
            the sensor clipped; acc_range_g, gyr_range_dps and ok describe it.
        cues: receives set_led(red, green, blue, pattern, period_ms), vibrate(strength, duration_ms, repeat)
            and identify(seconds) with the host's (already clamped) parameters; now_ms is passed along.
        touched: returns True while the touch pad (the board's button) is pressed.
        retime: called with a rate in Hz when the sample timer must run at a new rate, and with 0 to stop it.
    """

    def __init__(self, imu, cues, touched, retime):
        self.imu = imu
        self.cues = cues
        self.touched = touched
        self.retime = retime
        self.streaming = False
        self.rate_hz = 100
        self._next_rate_hz = 100  # SET_RATE takes effect at the next notification (section 4.2)
        self.mtu = 23
        self.count = wire.samples_per_notification(23)
        self.battery_pct = 100
        self.charging = False
        self.errors = 0 if imu.ok else wire.ERROR_IMU
        self.seq = 0  # never restarts while powered (section 3.2)
        self.outbox = []  # finished data notifications, oldest first
        self.status_due = False  # the status record must be notified (section 5)
        self._buf = bytearray(wire.notification_size(wire.MAX_COUNT))
        self._counts = [0, 0, 0, 0, 0, 0]
        self._n = 0  # samples in _buf
        self._per = 1  # samples the notification in _buf will hold
        self._saturated = False
        self._next_us = 0  # device time of the next sample, microseconds modulo 2**30
        self._t0_us = 0  # device time of the first sample in _buf

    # -- radio side -------------------------------------------------------------------------------------------

    def set_mtu(self, mtu):
        """Section 3.4: recompute the samples per notification (used from the next notification on)."""
        self.mtu = mtu
        self.count = wire.samples_per_notification(mtu)

    def take(self):
        """The oldest finished notification, or None."""
        return self.outbox.pop(0) if self.outbox else None

    def link_lost(self):
        """Section 7: stop streaming when the link drops; the sequence counter carries on."""
        self.stop_stream()
        self.outbox = []

    def command(self, data, now_us, now_ms):
        """Act on one write to the Control characteristic; CommandError (with its ATT code) if malformed."""
        opcode, params = wire.parse_command(data)
        if opcode == wire.START_STREAM:
            self.start_stream(now_us)
        elif opcode == wire.STOP_STREAM:
            self.stop_stream()
        elif opcode == wire.SET_RATE:
            self._next_rate_hz = params[0]
            if not self.streaming:
                self.rate_hz = params[0]
        elif opcode == wire.SET_LED:
            self.cues.set_led(params[0], params[1], params[2], params[3], params[4], now_ms)
        elif opcode == wire.VIBRATE:
            self.cues.vibrate(params[0], params[1], params[2], now_ms)
        elif opcode == wire.TARE_FORCE:
            pass  # no load cell on this board: force is always 0 N, already "tared"
        elif opcode == wire.IDENTIFY:
            self.cues.identify(params[0], now_ms)
        elif opcode == wire.REQUEST_STATUS:
            self.status_due = True
        return opcode

    def start_stream(self, now_us):
        if self.streaming:
            return  # idempotent (section 4.2)
        self.rate_hz = self._next_rate_hz
        self._n = 0
        # The timer's first call comes one period after it starts: that is when the first sample is taken.
        self._next_us = (now_us + 1_000_000 // self.rate_hz) & _TICKS_MASK
        if self.errors & wire.ERROR_FIFO_OVERFLOW:  # a loss of an earlier stream is old news
            self.errors &= ~wire.ERROR_FIFO_OVERFLOW
            self.status_due = True
        self.streaming = True
        self.retime(self.rate_hz)

    def stop_stream(self):
        if self.streaming:
            self.streaming = False
            self._n = 0
            self.retime(0)

    def set_battery(self, pct, charging):
        """A new battery reading; a change of a whole percent (or of the low flag) notifies the status."""
        pct = max(0, min(100, pct))
        errors = self.errors & ~wire.ERROR_BATTERY_LOW
        if pct < _BATTERY_LOW_PCT:
            errors |= wire.ERROR_BATTERY_LOW
        if pct != self.battery_pct or charging != self.charging or errors != self.errors:
            self.battery_pct, self.charging, self.errors = pct, charging, errors
            self.status_due = True

    def status(self):
        """Section 5: the status record as it stands."""
        state = 0
        if self.streaming:
            state |= wire.STATE_STREAMING
        if self.charging:
            state |= wire.STATE_CHARGING
        if self.touched():
            state |= wire.STATE_TOUCH
        return wire.pack_status(
            self.battery_pct,
            FIRMWARE,
            self.imu.acc_range_g,
            self.imu.gyr_range_dps,
            self.rate_hz,
            self.count,
            state,
            self.errors,
        )

    # -- timer side ---------------------------------------------------------------------------------------------

    def on_sample(self, now_us):
        """Take one sample (the sample timer calls this once per period). ``now_us``: the board's clock."""
        if not self.streaming:
            return
        period = 1_000_000 // self.rate_hz
        if self._n == 0:
            self._begin_notification(now_us, period)
            period = 1_000_000 // self.rate_hz
        clipped = self.imu.read(self._counts)
        clipped |= wire.pack_sample(self._buf, self._n, self._counts, 0)
        self._saturated |= clipped
        self._n += 1
        self._next_us = (self._next_us + period) & _TICKS_MASK
        if self._n >= self._per:
            self._finish_notification()

    def _begin_notification(self, now_us, period):
        if self._next_rate_hz != self.rate_hz:
            self.rate_hz = self._next_rate_hz
            self.retime(self.rate_hz)
        elif ticks_diff(now_us, self._next_us) > _RESYNC_PERIODS * period:
            # Timer callbacks were lost (the board was too busy): the samples are gone, so say so and
            # restart the sample clock at the present, keeping t0 truthful.
            self._next_us = now_us & _TICKS_MASK
            self._set_error(wire.ERROR_FIFO_OVERFLOW)
        self._per = self.count
        self._saturated = False
        self._t0_us = self._next_us

    def _finish_notification(self):
        wire.pack_header(
            self._buf, self.seq, self._t0_us, self.rate_hz, self._n, self.touched(), self._saturated
        )
        self.outbox.append(bytes(self._buf[: wire.notification_size(self._n)]))
        self.seq = (self.seq + 1) & 0xFFFF
        self._n = 0
        if len(self.outbox) > _MAX_QUEUED:
            # The radio cannot keep up: drop the oldest. Its sequence number is never sent, so the host
            # counts it as lost (section 3.2); the status record says the loss happened inside the puck.
            self.outbox.pop(0)
            self._set_error(wire.ERROR_FIFO_OVERFLOW)

    def _set_error(self, bit):
        if not self.errors & bit:
            self.errors |= bit
            self.status_due = True
