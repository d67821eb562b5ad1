"""Many respondents through the tools they already use (contract section 4).

template.py lays the questionnaire out as columns; forms.py writes it as CSV, XLSX or Markdown;
tables.py reads a survey export (CSV or XLSX); importer.py turns its rows into responses; merge.py joins
answers files of one service. All but tables.py (reading) and forms.py (writing bytes) are pure.
"""
