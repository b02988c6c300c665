# The small interface every motion-sensor driver of the puck implements. Porting the puck to another board
# with another IMU means writing one class like puck_imu_mpu6886.Mpu6886 and naming it in puck_board.py.


class Imu:
    """A 6-axis IMU as the puck firmware uses it.

    Attributes:
        acc_range_g: the accelerometer's configured full scale in g (the status record reports it).
        gyr_range_dps: the gyroscope's configured full scale in deg/s.
        ok: False when the sensor did not answer as expected at start-up (sets the IMU fault flag).
    """

    acc_range_g = 16
    gyr_range_dps = 2000
    ok = False

    def start(self, rate_hz):
        """Configure the sensor's filters for sampling at ``rate_hz`` (50, 100, 200 or 400)."""
        raise NotImplementedError

    def read(self, counts):
        """Fill ``counts`` (a list of 6) with the latest sample in protocol counts and return True if the
        sensor clipped any axis at its full scale.

        counts[0:3]: acceleration x, y, z at 1/2048 g per count; counts[3:6]: angular rate x, y, z at 1/16
        deg/s per count (PROTOCOL.md section 3.3), in the sensor's own right-handed frame. Runs once per
        sample from the timer callback: it must not allocate.
        """
        raise NotImplementedError
