-- Runs once when the local database is created (docker-entrypoint-initdb.d), as the superuser,
-- in the application's database. The application connects as commodity_user with only the
-- privileges it needs: it can read and write rows, never create roles, databases or extensions.
CREATE EXTENSION IF NOT EXISTS vector;

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'commodity_user') THEN
        -- The password is set by the operator (ALTER ROLE ... PASSWORD) or by docker's env;
        -- none is written in this file.
        CREATE ROLE commodity_user LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
    END IF;
END
$$;

DO $$
BEGIN
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO commodity_user', current_database());
END
$$;

GRANT USAGE ON SCHEMA public TO commodity_user;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO commodity_user;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO commodity_user;
-- Tables created later by the migrations (run by the owner role) get the same grants.
ALTER DEFAULT PRIVILEGES IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO commodity_user;
ALTER DEFAULT PRIVILEGES IN SCHEMA public
    GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO commodity_user;
