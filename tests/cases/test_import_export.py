"""Lists in and out: `flask cases import` reports every line and imports all or nothing; the
export reads back through the import and is safe to open in a spreadsheet."""

from datetime import date

import pytest

from campaign.cases.exporting import annex_by_category, export_lines
from campaign.cases.fields import CaseInvalid
from campaign.cases.figures import case_figures
from campaign.cases.importing import apply_import, plan_import
from campaign.cases.models import (
    CaseStatus,
    DatePrecision,
    PersonOfConcern,
    PetitionCase,
    SourceKind,
)
from campaign.cases.services import list_persons
from campaign.extensions import db
from tests import factories

GOOD_LIST = (
    "name,name_original,category,status,date,place,source_url,visibility,birth,consent_by,"
    "consent_date\n"
    "Gevorg Sargsyan,Գևորգ Սարգսյան,Prisoners of war,DETAINED,13.12.2020,"
    "Hin Tagher,https://news.example.org/captured,aggregate,1999,,\n"
    "Elvin Mammadov,Elvin Məmmədov,prisoner_of_war,Whereabouts unknown,2020-10,"
    "\"Fuzuli district, near the road\",,private,,,\n"
    "Lusine Hakobyan,Լուսինե Հակոբյան,Detained civilians,released,2020-11-20,Shushi,"
    "https://ombudsman.example.org/report,public,1961-05-17,family,2021-02-01\n"
    "Ramil Huseynov,Ramil Hüseynov,Missing,remains returned,2020,,,Aggregate,,,\n"
)

BAD_LIST = (
    "name,name_original,category,status,date,place,source_url,visibility\n"
    "Arman Grigoryan,Արման Գրիգորյան,prisoner of war,detained,2020-12-13,Hadrut,,aggregate\n"
    ",Թաթուլ,hostage,detained,,,,aggregate\n"
    "Nigar Aliyeva,Nigar Əliyeva,soldier,detained,2020-12-13,,,aggregate\n"
    "Samvel Petrosyan,,hostage,free,31.02.2021,,,aggregate\n"
    "Aysel Karimova,,hostage,detained,,,ftp://x,public\n"
)


def _count(model) -> int:
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_a_good_list_imports_every_person_as_the_source_wrote_them(organisation):
    plan = plan_import(organisation, ("\ufeff" + GOOD_LIST).encode(), source_name="list.csv")
    assert plan.valid, [line.errors for line in plan.lines]
    apply_import(plan)
    db.session.commit()

    persons = {p.name: p for p in list_persons(organisation)}
    assert set(persons) == {"Gevorg Sargsyan", "Elvin Mammadov", "Lusine Hakobyan",
                            "Ramil Huseynov"}
    gevorg = persons["Gevorg Sargsyan"]
    assert gevorg.name_original == "Գևորգ Սարգսյան" and gevorg.birth_year == 1999
    assert gevorg.captured_on == date(2020, 12, 13) and gevorg.capture_place == "Hin Tagher"
    # A detention begins at capture; its source is the address the list gives.
    [event] = gevorg.events
    assert (event.occurred_on, event.source_kind, event.source_url) == (
        date(2020, 12, 13), SourceKind.URL, "https://news.example.org/captured")
    elvin = persons["Elvin Mammadov"]
    assert elvin.name_original == "Elvin Məmmədov"
    assert elvin.status is CaseStatus.WHEREABOUTS_UNKNOWN
    assert (elvin.captured_on, elvin.captured_on_precision) == (date(2020, 10, 1),
                                                                DatePrecision.MONTH)
    assert elvin.events[0].source_reference == "list.csv, line 3"
    lusine = persons["Lusine Hakobyan"]
    assert lusine.category.code == "detained_civilian" and lusine.is_public
    assert lusine.public_consent_on == date(2021, 2, 1)
    assert persons["Ramil Huseynov"].status is CaseStatus.REMAINS_RETURNED


def test_a_bad_list_is_reported_line_by_line_and_nothing_is_imported(organisation, petition):
    plan = plan_import(organisation, BAD_LIST.encode())
    assert not plan.valid
    report = {line.number: " ".join(line.errors) for line in plan.lines}
    assert report[2] == ""
    assert "name" in report[3]
    assert '"soldier"' in report[4] and "Prisoner of war" in report[4]
    assert '"free"' in report[5] and "31.02.2021" in report[5]
    assert "ftp://x" in report[6] and "consent" in report[6]

    factories.create_person_of_concern(organisation)  # what was there before stays as it was
    before = _count(PersonOfConcern)
    with pytest.raises(CaseInvalid, match="nothing was imported"):
        apply_import(plan, petition=petition)
    db.session.commit()
    assert _count(PersonOfConcern) == before and _count(PetitionCase) == 0


def test_files_that_are_not_a_list_say_why(organisation):
    assert "UTF-8" in plan_import(organisation, "name;category\nÉlodie;hostage".encode(
        "latin-1")).problems[0]
    assert "status" in plan_import(organisation, b"name,category\nA,hostage\n").problems[0]
    unknown = plan_import(organisation, b"name,category,status,visibilty\nA,hostage,held,x\n")
    assert "visibilty" in unknown.problems[0]
    assert plan_import(organisation, b"name,category,status\n").problems


def test_empty_unnamed_columns_a_spreadsheet_adds_are_ignored(organisation):
    plan = plan_import(organisation, b"name,category,status,,\nA B,hostage,held,,\n")
    assert plan.valid
    stray = plan_import(organisation, b"name,category,status,,\nA B,hostage,held,,oops\n")
    assert "without a name" in stray.problems[0]


def test_semicolons_and_one_line_twice_are_understood(organisation):
    plan = plan_import(organisation, b"name;category;status\nA B;hostage;held\n"
                                     b"a b;Hostages;detained\n")
    assert plan.lines[0].ok and plan.lines[0].fields["name"] == "A B"
    assert plan.lines[0].status.status is CaseStatus.DETAINED  # "held"
    assert "line 2" in plan.lines[1].errors[0]


def test_cli_import_links_to_the_petition_and_a_second_run_imports_nothing_new(
        runner, organisation, petition, tmp_path):
    path = tmp_path / "persons.csv"
    path.write_text(GOOD_LIST, encoding="utf-8")
    args = ["cases", "import", str(path), "--org", organisation.slug,
            "--petition", petition.slug]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "line 2: ok: Gevorg Sargsyan (prisoner_of_war, detained)" in result.output
    assert "Imported 4 persons, 4 newly linked" in result.output
    db.session.rollback()
    assert case_figures(organisation, petition).total == 3  # one is private

    again = runner.invoke(args=args)
    assert again.exit_code == 0
    assert "already recorded as person #" in again.output and "Imported 0 persons" in again.output
    db.session.rollback()
    assert _count(PersonOfConcern) == 4


def test_cli_dry_run_and_bad_files_write_nothing(runner, organisation, tmp_path):
    good, bad = tmp_path / "good.csv", tmp_path / "bad.csv"
    good.write_text(GOOD_LIST, encoding="utf-8")
    bad.write_text(BAD_LIST, encoding="utf-8")
    dry = runner.invoke(args=["cases", "import", str(good), "--org", organisation.slug,
                              "--dry-run"])
    assert dry.exit_code == 0 and "Dry run: nothing imported" in dry.output
    failed = runner.invoke(args=["cases", "import", str(bad), "--org", organisation.slug])
    assert failed.exit_code == 1
    assert "line 4: error: category:" in failed.output
    assert "Nothing imported" in failed.output
    wrong = runner.invoke(args=["cases", "import", str(good), "--org", organisation.slug,
                                "--petition", "no-such-petition"])
    assert wrong.exit_code == 2 and "no petition" in wrong.output
    db.session.rollback()
    assert _count(PersonOfConcern) == 0


def test_the_export_reads_back_through_the_import_and_neutralises_formulas(
        organisation, runner, tmp_path):
    plan = plan_import(organisation, GOOD_LIST.encode())
    apply_import(plan)
    factories.create_person_of_concern(organisation, name="=HYPERLINK(\"x\")",
                                       family_contact="+374 55 000")
    exported = "".join(export_lines(organisation))
    assert "'=HYPERLINK" in exported and "+374 55 000" not in exported

    other = factories.create_organisation()
    replan = plan_import(other, exported.encode())
    assert replan.valid, [line.errors for line in replan.lines]
    apply_import(replan)
    db.session.commit()
    fields = ("name", "name_original", "status", "status_since", "captured_on",
              "birth_year", "visibility", "public_consent_on")
    def rows(org):
        return sorted(tuple(getattr(p, f) for f in fields) for p in list_persons(org))
    assert rows(other) == rows(organisation)
    assert list_persons(other)[0].name == '=HYPERLINK("x")'

    output = tmp_path / "out.csv"
    result = runner.invoke(args=["cases", "export", "--org", organisation.slug,
                                 "--output", str(output)])
    assert result.exit_code == 0 and "wrote 5 persons" in result.output
    assert output.read_bytes().decode("utf-8") == exported


def test_the_annex_groups_persons_by_category_in_the_organisations_order(organisation):
    apply_import(plan_import(organisation, GOOD_LIST.encode()))
    groups = annex_by_category(organisation, list_persons(organisation))
    assert [(g.label, [e.name for e in g.entries]) for g in groups] == [
        ("Prisoner of war", ["Elvin Mammadov", "Gevorg Sargsyan"]),
        ("Detained civilian", ["Lusine Hakobyan"]),
        ("Missing", ["Ramil Huseynov"]),
    ]
    gevorg = groups[0].entries[1]
    assert (gevorg.status, gevorg.captured, gevorg.place) == (
        "Detained", "December 13, 2020", "Hin Tagher")
    assert groups[0].entries[0].captured == "October 2020"
