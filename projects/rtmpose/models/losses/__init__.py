"""Training losses."""
from .kl_discret_loss import KLDiscretLoss

__all__ = ['KLDiscretLoss']
