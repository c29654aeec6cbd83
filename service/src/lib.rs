//! The reference submission service (the system under test). Not written yet: see the service
//! issue. It will depend on `yarnsec-hadoop` only, never on the harness or the scenarios.
