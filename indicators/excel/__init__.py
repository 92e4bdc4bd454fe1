"""Excel exchange: workbooks read within fixed bounds, imports checked whole before writing, exports and
templates, the uploads waiting for confirmation, and the /excel/ pages."""
