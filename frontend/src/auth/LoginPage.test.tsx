import { render, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { MemoryRouter, Route, Routes } from "react-router-dom";

import { fakeServer, json, USER } from "../test/fakeServer";
import { AuthProvider } from "./AuthContext";
import { LoginPage } from "./LoginPage";

function renderLogin() {
  render(
    <AuthProvider>
      <MemoryRouter initialEntries={["/login"]}>
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route path="/" element={<p>聊天页</p>} />
        </Routes>
      </MemoryRouter>
    </AuthProvider>,
  );
}

const TOKENS = { access_token: "a", refresh_token: "r", token_type: "bearer", expires_in: 900 };

describe("LoginPage", () => {
  it("offers to create the first administrator with the setup code when there is none", async () => {
    const server = fakeServer({
      "GET /api/setup": () => json({ needed: true }),
      "POST /api/setup": () => json({ ...TOKENS, user: { ...USER, username: "root", role: "admin" } }, 201),
    });
    renderLogin();
    await userEvent.type(await screen.findByLabelText("设置码"), "ABCD-EFGH-JKLM");
    await userEvent.type(screen.getByLabelText("管理员用户名"), "root");
    await userEvent.type(screen.getByLabelText("密码"), "a-long-enough-password");
    await userEvent.click(screen.getByRole("button", { name: "创建第一个管理员" }));
    expect(await screen.findByText("聊天页")).toBeInTheDocument();
    const posted = server.calls.find((call) => call.method === "POST");
    expect(posted?.body).toEqual({ code: "ABCD-EFGH-JKLM", username: "root", password: "a-long-enough-password" });
  });

  it("says a wrong code is wrong, in Chinese, and goes back to signing in once setup is done", async () => {
    let needed = true;
    fakeServer({
      "GET /api/setup": () => json({ needed }),
      "POST /api/setup": () => {
        needed = false;
        return json({ detail: "An administrator already exists; sign in instead.", code: "setup_done" }, 404);
      },
    });
    renderLogin();
    await userEvent.type(await screen.findByLabelText("设置码"), "WXYZ-WXYZ-WXYZ");
    await userEvent.type(screen.getByLabelText("管理员用户名"), "late");
    await userEvent.type(screen.getByLabelText("密码"), "a-long-enough-password");
    await userEvent.click(screen.getByRole("button", { name: "创建第一个管理员" }));
    expect(await screen.findByRole("alert")).toHaveTextContent("管理员已经创建，请直接登录。");
    expect(await screen.findByRole("button", { name: "登录" })).toBeInTheDocument();
    expect(screen.queryByLabelText("设置码")).not.toBeInTheDocument();
  });

  it("is a plain sign-in page when an administrator exists", async () => {
    fakeServer({ "GET /api/setup": () => json({ needed: false }) });
    renderLogin();
    expect(await screen.findByRole("button", { name: "登录" })).toBeInTheDocument();
    expect(screen.queryByLabelText("设置码")).not.toBeInTheDocument();
  });
});
