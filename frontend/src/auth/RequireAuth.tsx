import type { ReactNode } from "react";
import { Navigate, useLocation } from "react-router-dom";

import { useAuth } from "./AuthContext";

export function RequireAuth({ children, admin = false }: { children: ReactNode; admin?: boolean }) {
  const { session } = useAuth();
  const location = useLocation();
  if (!session) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  if (admin && session.user.role !== "admin") {
    return (
      <main className="page">
        <p className="alert" role="alert">
          只有管理员可以访问此页面。
        </p>
      </main>
    );
  }
  return <>{children}</>;
}
