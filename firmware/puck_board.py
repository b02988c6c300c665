# The M5StickC Plus2 (ESP32-PICO-V3-02, MPU-6886 IMU, red LED, passive buzzer, 200 mAh battery) as a puck.
#
# Everything that names a pin lives here; another board means another module like this one. Pin numbers
# follow M5Stack's published pin map for the Plus2 (not yet checked on a board by us: see docs/build-a-puck.md).
import time

import machine
import puck_imu_mpu6886
from micropython import const

MODEL = "M5StickC Plus2"
_HOLD_PIN = const(4)  # must stay high, or the stick switches itself off when it runs on its battery
_SDA_PIN = const(21)  # internal I2C: the IMU (0x68) and the clock chip
_SCL_PIN = const(22)
_LED_PIN = const(19)  # the red LED (it shares the pin with the infrared LED)
_BUZZER_PIN = const(2)  # passive buzzer: stands in for the vibration motor the board lacks
_BATTERY_ADC_PIN = const(38)  # battery voltage through a 1:2 divider
_BUTTON_A_PIN = const(37)  # the big front button, low while pressed: it is the puck's "touch pad"
_BUTTON_B_PIN = const(39)  # the side button next to the USB socket: hold it to switch the puck off
_OFF_HOLD_MS = const(2000)
_LCD_BACKLIGHT_PIN = const(27)  # kept off: the screen would drain the small battery
LED_ACTIVE_LOW = False  # flip if the LED is lit when it should be dark
_BUZZ_TONE_HZ = const(180)  # a low hum is the nearest a buzzer gets to a vibration
_SAMPLE_TIMER = const(0)

# Battery voltage (mV) -> charge (%) for one LiPo cell at light load, rough but monotonic.
_CURVE = ((3300, 0), (3500, 5), (3600, 15), (3700, 35), (3800, 55), (3900, 70), (4000, 85), (4150, 100))


def battery_pct_from_mv(mv):
    """Charge in whole percent from the cell voltage in millivolts (linear between the points of _CURVE)."""
    if mv <= _CURVE[0][0]:
        return 0
    for i in range(1, len(_CURVE)):
        (v0, p0), (v1, p1) = _CURVE[i - 1], _CURVE[i]
        if mv <= v1:
            return p0 + (p1 - p0) * (mv - v0) // (v1 - v0)
    return 100


class Board:
    """The pins of the M5StickC Plus2, opened once at start-up."""

    model = MODEL

    def __init__(self):
        self._hold = machine.Pin(_HOLD_PIN, machine.Pin.OUT, value=1)
        machine.Pin(_LCD_BACKLIGHT_PIN, machine.Pin.OUT, value=0)
        i2c = machine.I2C(0, scl=machine.Pin(_SCL_PIN), sda=machine.Pin(_SDA_PIN), freq=400_000)
        self.imu = puck_imu_mpu6886.Mpu6886(i2c, time.sleep_ms)
        self._led = machine.PWM(machine.Pin(_LED_PIN), freq=1000, duty_u16=self._led_duty(0))
        self._buzzer = machine.PWM(machine.Pin(_BUZZER_PIN), freq=_BUZZ_TONE_HZ, duty_u16=0)
        self._battery = machine.ADC(machine.Pin(_BATTERY_ADC_PIN), atten=machine.ADC.ATTN_11DB)
        self._button = machine.Pin(_BUTTON_A_PIN, machine.Pin.IN)
        self._off_button = machine.Pin(_BUTTON_B_PIN, machine.Pin.IN)
        self._off_pressed_ms = None
        self._timer = machine.Timer(_SAMPLE_TIMER)
        self._shown = (-1, -1)
        mac = bytes(machine.unique_id())
        self.serial = "".join(f"{b:02X}" for b in mac)
        self.name = "RepQuest Puck " + self.serial[-4:]  # the end of the MAC tells two pucks apart

    @staticmethod
    def _led_duty(level):
        duty = level * 65535 // 255
        return 65535 - duty if LED_ACTIVE_LOW else duty

    def touched(self):
        return self._button.value() == 0

    def battery_pct(self):
        return battery_pct_from_mv(self._battery.read_uv() * 2 // 1000)

    def charging(self):
        return False  # the Plus2 has no charge-status line the firmware can read

    def poll_power_button(self, now_ms):
        """Switch off after the side button has been held for 2 s (on USB power the board stays on)."""
        if self._off_button.value():
            self._off_pressed_ms = None
        elif self._off_pressed_ms is None:
            self._off_pressed_ms = now_ms
        elif (now_ms - self._off_pressed_ms) & 0x3FFFFFFF >= _OFF_HOLD_MS:
            self._led.duty_u16(self._led_duty(0))
            self._buzzer.duty_u16(0)
            self._hold.value(0)

    def show(self, led_level, buzz_pct):
        """LED brightness 0..255 and buzzer strength 0..100 %; pins change only when the levels do."""
        if (led_level, buzz_pct) == self._shown:
            return
        self._shown = (led_level, buzz_pct)
        self._led.duty_u16(self._led_duty(led_level))
        self._buzzer.duty_u16(buzz_pct * 32768 // 100)  # a passive buzzer is loudest at half duty

    def start_sampling(self, rate_hz, callback):
        """Call ``callback(timer)`` ``rate_hz`` times a second (0 stops it). The callback is a soft one: it
        runs between bytecodes of the main program, so it may use I2C and allocate, but should not dawdle."""
        self._timer.deinit()
        if rate_hz:
            self.imu.start(rate_hz)
            self._timer.init(mode=machine.Timer.PERIODIC, freq=rate_hz, callback=callback)
