// The first admin the e2e backend creates at startup (development mode only).
export const ADMIN = { username: "e2e_admin", password: "e2e admin password 1" };
