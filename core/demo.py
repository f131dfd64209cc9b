"""Demo data: a fictional office with its groups, work units, schools and one person per role.

Every person and place here is invented. Passwords are random and returned once to be printed.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from core.approvals.chains import seed_chains
from core.auth.models import Role, RoleAssignment, User
from core.auth.services import generate_password, set_password
from core.db import db
from core.i18n.thaidate import today
from core.org.models import OrgUnit, OrgUnitKind
from core.plugins.offices import set_plugin_enabled
from core.setup import create_admin
from core.standards.demo import create_demo_services
from core.state import khet

DEMO_OFFICE_CODE = "DEMO-ESA-1"
DEMO_DOMAIN = "demo.khet.example"

GROUPS = {
    "กลุ่มอำนวยการ": ["งานสารบรรณ", "งานประชาสัมพันธ์"],
    "กลุ่มนโยบายและแผน": ["งานข้อมูลสารสนเทศ"],
    "กลุ่มส่งเสริมการศึกษาทางไกล เทคโนโลยีสารสนเทศและการสื่อสาร": [
        "งานศูนย์บริการเทคโนโลยีสารสนเทศและการสื่อสาร",
        "งานส่งเสริมการศึกษาทางไกล",
        "งานเว็บไซต์และการเผยแพร่",
    ],
    "กลุ่มบริหารงานบุคคล": [],
    "กลุ่มบริหารงานการเงินและสินทรัพย์": ["งานพัสดุ"],
    "กลุ่มนิเทศ ติดตามและประเมินผลการจัดการศึกษา": [],
}
DLICT_GROUP = "กลุ่มส่งเสริมการศึกษาทางไกล เทคโนโลยีสารสนเทศและการสื่อสาร"

SCHOOLS = [
    "โรงเรียนบ้านหนองบัวทอง",
    "โรงเรียนวัดศรีสว่างธรรม",
    "โรงเรียนบ้านโคกกลาง",
    "โรงเรียนบ้านห้วยทราย",
    "โรงเรียนชุมชนบ้านนาเจริญ",
    "โรงเรียนบ้านดอนแก้ว",
    "โรงเรียนวัดป่าประดู่",
    "โรงเรียนบ้านทุ่งมะปราง",
    "โรงเรียนบ้านหนองแสง",
    "โรงเรียนบ้านคลองน้ำใส",
    "โรงเรียนอนุบาลตัวอย่าง",
    "โรงเรียนบ้านเนินสูง",
]


@dataclass(frozen=True)
class DemoPerson:
    login: str
    name: str
    position: str
    role: str
    unit: str  # the name of the org unit (the office, a group, a work unit or a school)


PEOPLE = [
    DemoPerson("director", "นายสมชาย ใจดีมาก", "ผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา", "office_director", "@office"),
    DemoPerson(
        "deputy", "นางวิไลวรรณ รุ่งเรืองศรี", "รองผู้อำนวยการสำนักงานเขตพื้นที่การศึกษา", "deputy_director", "@office"
    ),
    DemoPerson(
        "dlict",
        "นายประเสริฐ วงศ์ไพบูลย์",
        "ผู้อำนวยการกลุ่มส่งเสริมการศึกษาทางไกล เทคโนโลยีสารสนเทศและการสื่อสาร",
        "group_director",
        DLICT_GROUP,
    ),
    DemoPerson(
        "tech",
        "นายธนพล แสงอรุณ",
        "นักวิชาการคอมพิวเตอร์",
        "computer_officer",
        "งานศูนย์บริการเทคโนโลยีสารสนเทศและการสื่อสาร",
    ),
    DemoPerson("clerk", "นางสาวพรทิพย์ มีสุขสม", "เจ้าพนักงานธุรการ", "clerk", "งานสารบรรณ"),
    DemoPerson("teacher", "นางสาวกมลชนก ศรีบุญเรือง", "ครู", "teacher", "โรงเรียนบ้านหนองบัวทอง"),
    DemoPerson("principal", "นายวีระพงษ์ ทองมาก", "ผู้อำนวยการโรงเรียน", "school_director", "โรงเรียนบ้านหนองบัวทอง"),
]


@dataclass(frozen=True)
class DemoLogin:
    email: str
    password: str
    name: str
    position: str


def demo_exists() -> bool:
    return db.session.scalar(select(OrgUnit.id).where(OrgUnit.code == DEMO_OFFICE_CODE)) is not None


def create_demo() -> list[DemoLogin]:
    """Build the demo office and return the logins with their one-time passwords."""
    office = OrgUnit(kind=OrgUnitKind.OFFICE, name="สพป.ตัวอย่าง เขต 1", code=DEMO_OFFICE_CODE)
    units = {"@office": office}
    for group_name, work_units in GROUPS.items():
        group = OrgUnit(kind=OrgUnitKind.GROUP, name=group_name, parent=office)
        units[group_name] = group
        for unit_name in work_units:
            units[unit_name] = OrgUnit(kind=OrgUnitKind.WORK_UNIT, name=unit_name, parent=group)
    for number, school_name in enumerate(SCHOOLS, start=1):
        units[school_name] = OrgUnit(
            kind=OrgUnitKind.SCHOOL, name=school_name, parent=office, code=f"1099{number:06d}"
        )
    db.session.add(office)
    db.session.flush()

    roles = {r.name: r for r in db.session.scalars(select(Role))}
    logins = []
    admin_password = generate_password()
    create_admin(f"admin@{DEMO_DOMAIN}", "ผู้ดูแลระบบ (ตัวอย่าง)", admin_password)
    logins.append(
        DemoLogin(f"admin@{DEMO_DOMAIN}", admin_password, "ผู้ดูแลระบบ (ตัวอย่าง)", "System administrator")
    )
    for person in PEOPLE:
        password = generate_password()
        unit = units[person.unit]
        user = User(
            email=f"{person.login}@{DEMO_DOMAIN}", name=person.name, position=person.position, org_unit=unit
        )
        set_password(user, password)
        user.role_assignments.append(
            RoleAssignment(role=roles[person.role], org_unit=unit, include_descendants=True)
        )
        db.session.add(user)
        logins.append(DemoLogin(user.email, password, person.name, person.position))
    db.session.flush()
    for plugin in khet().loaded_plugins:
        set_plugin_enabled(office.id, plugin, True)
    seed_chains()  # `khet init` has, unless the caller skipped it: the demo's requests go up them
    people = {user.email.split("@")[0]: user for user in db.session.scalars(select(User))}
    khet().pm.hook.on_demo_office(office=office, people=people)
    create_demo_services(office.id, [people["teacher"], people["principal"]], people["tech"], today())
    db.session.commit()
    return logins
