"""Progress from units in Excel: one workbook per lead unit, filled in and read back.

    write_templates(folder, out)            # template.py: one .xlsx per lead unit
    result = read_workbooks(files, folder)  # workbook.py: every cell validated
    merge(result, plan_dir)                 # merge.py: into progress.csv and measurements.csv
    intake_read(files, plan_dir)            # merge.py: the two, under the plan folder's lock

A workbook has a sheet of the unit's tasks (one row per task, or per occurrence of a recurring
task: number, title, deadline locked; status from a drop-down, dates and a note to fill) and a
sheet of its targets (the level locked; period, numerator and denominator or the value, the
date measured to fill), and a sheet saying which plan and unit it is for. docs/import.md
("Tiến độ bằng Excel") describes the columns and the checks.
"""

from dondoc.facts.intake.merge import MergeReport, intake_read, merge
from dondoc.facts.intake.template import write_templates
from dondoc.facts.intake.workbook import IntakeResult, read_workbooks

__all__ = ["IntakeResult", "MergeReport", "intake_read", "merge", "read_workbooks", "write_templates"]
