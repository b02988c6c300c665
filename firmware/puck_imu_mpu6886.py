# Driver for the InvenSense/TDK MPU-6886 6-axis IMU over I2C (the IMU inside the M5StickC Plus2).
#
# Register numbers and bit fields are from the MPU-6886 datasheet's register map. The sensor runs at its
# internal 1 kHz with its low-pass filters set below half the puck's sample rate; the puck's timer reads the
# newest sample at the rate the host asked for (the IMU's own rate divider cannot make 400 Hz from 1 kHz).
import puck_imu
from micropython import const

ADDRESS = const(0x68)
WHO_AM_I_VALUE = const(0x19)
_SMPLRT_DIV = const(0x19)
_CONFIG = const(0x1A)
_GYRO_CONFIG = const(0x1B)
_ACCEL_CONFIG = const(0x1C)
_ACCEL_CONFIG2 = const(0x1D)
_ACCEL_XOUT_H = const(0x3B)  # 14 bytes from here: acc x y z, temperature, gyr x y z, big-endian
_PWR_MGMT_1 = const(0x6B)
_WHO_AM_I = const(0x75)
_FS_16G = const(0x18)  # ACCEL_CONFIG bits 4:3 = 3: +-16 g, 2048 counts per g (the protocol's own scale)
_FS_2000DPS = const(0x18)  # GYRO_CONFIG bits 4:3 = 3: +-2000 deg/s, 16.4 counts per deg/s
# DLPF setting per sample rate: bandwidth below rate / 2 (gyro 20, 41, 92, 176 Hz; accel 21, 45, 99, 218 Hz).
_DLPF = {50: 4, 100: 3, 200: 2, 400: 1}


def _s16(buf, i):
    """The big-endian int16 at ``buf[i]``; no allocation (struct.unpack would build a tuple per sample)."""
    v = buf[i] << 8 | buf[i + 1]
    return v - 65536 if v > 32767 else v


def gyro_counts(raw):
    """A gyro reading at 16.4 counts per deg/s in the protocol's 16 counts per deg/s, rounded half up,
    integers only (raw * 40 / 41)."""
    return (raw * 80 + 41) // 82


class Mpu6886(puck_imu.Imu):
    """The MPU-6886 on ``i2c`` (a machine.I2C), at +-16 g and +-2000 deg/s."""

    acc_range_g = 16
    gyr_range_dps = 2000

    def __init__(self, i2c, sleep_ms, address=ADDRESS):
        self.i2c = i2c
        self.address = address
        self._raw = bytearray(14)
        self._one = bytearray(1)
        self.ok = self._reg(_WHO_AM_I) == WHO_AM_I_VALUE
        if self.ok:
            self._set(_PWR_MGMT_1, 0x80)  # reset
            sleep_ms(10)
            self._set(_PWR_MGMT_1, 0x01)  # wake, best clock source
            sleep_ms(10)
            self._set(_ACCEL_CONFIG, _FS_16G)
            self._set(_GYRO_CONFIG, _FS_2000DPS)
            self._set(_SMPLRT_DIV, 0)
            self.start(100)

    def _reg(self, reg):
        try:
            self.i2c.readfrom_mem_into(self.address, reg, self._one)
        except OSError:
            return -1  # nothing answered on the bus
        return self._one[0]

    def _set(self, reg, value):
        self._one[0] = value
        self.i2c.writeto_mem(self.address, reg, self._one)

    def start(self, rate_hz):
        if self.ok:
            self._set(_CONFIG, _DLPF[rate_hz])
            self._set(_ACCEL_CONFIG2, _DLPF[rate_hz])

    def read(self, counts):
        raw = self._raw
        try:
            self.i2c.readfrom_mem_into(self.address, _ACCEL_XOUT_H, raw)
        except OSError:
            # No sensor (the status record says IMU fault) or a bus glitch: zeros, not a crash in the timer.
            for i in range(14):
                raw[i] = 0
        ax, ay, az = _s16(raw, 0), _s16(raw, 2), _s16(raw, 4)
        gx, gy, gz = _s16(raw, 8), _s16(raw, 10), _s16(raw, 12)  # bytes 6-7: temperature
        counts[0] = ax
        counts[1] = ay
        counts[2] = az
        counts[3] = gyro_counts(gx)
        counts[4] = gyro_counts(gy)
        counts[5] = gyro_counts(gz)
        # A reading at either end of the range means the sensor clipped.
        return (
            ax in (-32768, 32767)
            or ay in (-32768, 32767)
            or az in (-32768, 32767)
            or gx in (-32768, 32767)
            or gy in (-32768, 32767)
            or gz in (-32768, 32767)
        )
