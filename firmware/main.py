# MicroPython runs this file at power-on. Hold the power on first: on battery the M5StickC Plus2 switches
# itself off again unless the firmware raises its HOLD pin within a moment of the button press.
import machine

machine.Pin(4, machine.Pin.OUT, value=1)

import puck_ble  # noqa: E402  (after the power hold, on purpose)

puck_ble.main()
