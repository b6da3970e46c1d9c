import { BrowserRouter, Navigate, Route, Routes } from "react-router-dom";

import { AdminLayout } from "./admin/AdminLayout";
import { ApiKeysPage } from "./admin/ApiKeysPage";
import { DocumentsPage } from "./admin/DocumentsPage";
import { EnginesPage } from "./admin/EnginesPage";
import { PlaygroundPage } from "./admin/PlaygroundPage";
import { UsersPage } from "./admin/UsersPage";
import type { ApiClient } from "./api/client";
import { AuthProvider, useAuth } from "./auth/AuthContext";
import { LoginPage } from "./auth/LoginPage";
import { RequireAuth } from "./auth/RequireAuth";
import { ChatPage } from "./chat/ChatPage";
import { RomanizePage } from "./romanize/RomanizePage";
import { AppHeader } from "./components/AppHeader";
import { EnginesProvider } from "./engines/EnginesContext";

function SignedInRoutes() {
  const { session } = useAuth();
  return (
    // Keyed by user: another account starts with its own engine choice and lists.
    <EnginesProvider key={session?.user.id ?? 0}>
      <AppHeader />
      <div id="content" className="content">
        <Routes>
          <Route path="/login" element={<LoginPage />} />
          <Route path="/" element={<RequireAuth><ChatPage /></RequireAuth>} />
          <Route path="/c/:conversationId" element={<RequireAuth><ChatPage /></RequireAuth>} />
          <Route path="/romanize" element={<RequireAuth><RomanizePage /></RequireAuth>} />
          <Route path="/keys" element={<RequireAuth><div className="page"><ApiKeysPage /></div></RequireAuth>} />
          <Route path="/admin" element={<RequireAuth admin><AdminLayout /></RequireAuth>}>
            <Route index element={<Navigate to="documents" replace />} />
            <Route path="documents" element={<DocumentsPage />} />
            <Route path="engines" element={<EnginesPage />} />
            <Route path="playground" element={<PlaygroundPage />} />
            <Route path="users" element={<UsersPage />} />
            <Route path="keys" element={<ApiKeysPage />} />
          </Route>
          <Route path="*" element={<main className="page"><p>页面不存在。</p></main>} />
        </Routes>
      </div>
    </EnginesProvider>
  );
}

export function App({ client }: { client?: ApiClient }) {
  return (
    <AuthProvider client={client}>
      <BrowserRouter>
        <SignedInRoutes />
      </BrowserRouter>
    </AuthProvider>
  );
}
