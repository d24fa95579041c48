"""The counter checkout: sign-in, the sell screen, payment, refunds, parked sales, shifts."""
