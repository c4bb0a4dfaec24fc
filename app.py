"""Entry point: builds the navigation. Each page is a small module in trainer/ui/."""

import streamlit as st

st.set_page_config(page_title="ECS & Lambda Trainer", page_icon=":material/school:", layout="wide")

pages = {
    "Learn": [
        st.Page("trainer/ui/study.py", title="Study", icon=":material/psychology:", default=True),
        st.Page("trainer/ui/concept_map.py", title="Concept map", icon=":material/hub:", url_path="concepts"),
        st.Page("trainer/ui/library.py", title="Library", icon=":material/menu_book:", url_path="library"),
        st.Page("trainer/ui/progress.py", title="Progress", icon=":material/monitoring:", url_path="progress"),
    ],
    "Practice": [
        st.Page("trainer/ui/exam.py", title="Exam practice", icon=":material/timer:", url_path="exam"),
    ],
    "Workshops": [
        st.Page("trainer/ui/workshop.py", title="Join a workshop", icon=":material/groups:", url_path="workshop"),
        st.Page("trainer/ui/workshop_host.py", title="Host a workshop", icon=":material/co_present:",
                url_path="workshop-host"),
    ],
    "Explainers": [
        st.Page("trainer/ui/playground.py", title="Concurrency playground", icon=":material/bolt:",
                url_path="playground"),
        st.Page("trainer/ui/sizing.py", title="Subnet sizing", icon=":material/lan:", url_path="sizing"),
    ],
    "You": [
        st.Page("trainer/ui/profile.py", title="Profile & settings", icon=":material/person:", url_path="profile"),
        st.Page("trainer/ui/reports.py", title="Question reports", icon=":material/report:", url_path="reports"),
    ],
}

st.navigation(pages).run()
