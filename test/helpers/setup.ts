// React's act() needs this flag; see DESIGN.md, Practical notes.
(globalThis as {IS_REACT_ACT_ENVIRONMENT?: boolean}).IS_REACT_ACT_ENVIRONMENT = true;
