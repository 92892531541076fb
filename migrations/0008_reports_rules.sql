-- A generated report version is a frozen snapshot: links and emails must always show the same numbers.
CREATE TRIGGER report_versions_append_only BEFORE UPDATE OR DELETE ON report_versions
  FOR EACH ROW EXECUTE FUNCTION sechia_forbid_change();
