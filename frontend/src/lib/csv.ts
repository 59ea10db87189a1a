/** A CSV file (RFC 4180, UTF-8 with BOM so spreadsheet programs read accents) offered for download. */
export function downloadCsv(filename: string, header: string[], rows: (string | number)[][]): void {
  const quote = (cell: string | number) => {
    const text = String(cell);
    return /[",\n\r;]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
  };
  const body = [header, ...rows].map((row) => row.map(quote).join(",")).join("\r\n");
  const blob = new Blob(["\uFEFF", body, "\r\n"], { type: "text/csv;charset=utf-8" });
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
