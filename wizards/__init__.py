from . import tsq_stage_move_wizard
