"""The mini-games: each is a pygame-free rules module (``*_rules.py``) and a scene that draws it.

| id | movement kind | rules |
| --- | --- | --- |
| balloon | repetitions | every controlled rep lifts the balloon over the hills |
| bridge | holds | a held position fills the lamp (visible timer); each full hold lays a plank |
| glider | continuous control | ``progress`` 0..1 of the calibrated range steers the glider through rings |
| journey | steps | each stride moves the walker along the path to the next landmark |
| garden | presses | each squeeze waters a flower; a firm, full squeeze makes it bloom |
"""

GAME_IDS = ("balloon", "bridge", "glider", "journey", "garden")

__all__ = ["GAME_IDS"]
