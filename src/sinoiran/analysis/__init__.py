"""Stage 3, the analysis: functions of data frames (series, shares, models, trends, deals, reviews).

Nothing here reads a file: every function takes the frames the data stage
loads, so it can be tested on hand-made tables. Imports only from the base and
the data stage (for vintages' coverage). A new statistic or model goes here.
"""
