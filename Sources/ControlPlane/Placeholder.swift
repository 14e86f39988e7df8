enum _ControlPlanePlaceholder {}
