# language: vi
Tính năng: Quy tắc bao-cao-dinh-ky-qua-han: một kỳ báo cáo định kỳ quá hạn
  Nhiệm vụ định kỳ ("Trước ngày 20 của tháng cuối quý", "Hàng quý", "Hằng tháng") có một
  lần thực hiện mỗi kỳ, mỗi lần một hạn. Lần nào đến hạn mà chưa báo cáo hoàn thành thì bị nêu.

  Bối cảnh:
    Cho ngày kiểm tra là 22/11/2026
    Và kế hoạch năm 2026
    Và các nhiệm vụ:
      | TT | Nhiệm vụ                 | Đơn vị chủ trì         | Thời gian thực hiện              |
      | 2  | Báo cáo CCHC hằng quý    | Phòng Văn hóa - Xã hội | Trước ngày 20 của tháng cuối quý |

  Kịch bản: Kỳ quý III chưa báo cáo thì quá hạn
    Cho các báo cáo tiến độ:
      | TT | Kỳ      | Tình trạng | Ngày hoàn thành | Ngày báo cáo |
      | 2  | 2026-Q1 | hoàn thành | 18/03/2026      | 18/03/2026   |
      | 2  | 2026-Q2 | hoàn thành | 18/06/2026      | 18/06/2026   |
    Khi kiểm tra theo quy tắc "bao-cao-dinh-ky-qua-han"
    Thì có 1 phát hiện
    Và có phát hiện vi phạm cho kỳ "2@2026-Q3"
    Và giá trị "due" là 19/09/2026
    Và giá trị "days_overdue" là 64
    Và câu thông báo có "Kỳ quý III/2026"
    Và mức độ là "nghiêm trọng"

  Kịch bản: Kỳ quý IV chưa đến hạn thì chưa bị nêu
    Cho các báo cáo tiến độ:
      | TT | Kỳ      | Tình trạng | Ngày hoàn thành | Ngày báo cáo |
      | 2  | 2026-Q1 | hoàn thành | 18/03/2026      | 18/03/2026   |
      | 2  | 2026-Q2 | hoàn thành | 19/06/2026      | 19/06/2026   |
      | 2  | 2026-Q3 | hoàn thành | 18/09/2026      | 18/09/2026   |
    Khi kiểm tra theo quy tắc "bao-cao-dinh-ky-qua-han"
    Thì không có phát hiện nào

  Kịch bản: Không có báo cáo nào thì mỗi kỳ đã đến hạn là một phát hiện
    Khi kiểm tra theo quy tắc "bao-cao-dinh-ky-qua-han"
    Thì có 3 phát hiện
    Và có phát hiện vi phạm cho kỳ "2@2026-Q1"
    Và giá trị "days_overdue" là 248

  Kịch bản: Báo cáo đúng ngày hạn của kỳ thì không quá hạn
    "Trước ngày 20" là hạn ngày 19 (DOMAIN): ngày kiểm tra 19/09 chính là ngày hạn của quý III.
    Cho ngày kiểm tra là 19/09/2026
    Và các báo cáo tiến độ:
      | TT | Kỳ      | Tình trạng | Ngày hoàn thành | Ngày báo cáo |
      | 2  | 2026-Q1 | hoàn thành | 19/03/2026      | 19/03/2026   |
      | 2  | 2026-Q2 | hoàn thành | 19/06/2026      | 19/06/2026   |
    Khi kiểm tra theo quy tắc "bao-cao-dinh-ky-qua-han"
    Thì không có phát hiện nào

  Kịch bản: Kỳ đã báo cáo hoàn thành, dù muộn, thì không còn bị nhắc
    Cho các báo cáo tiến độ:
      | TT | Kỳ      | Tình trạng | Ngày hoàn thành | Ngày báo cáo |
      | 2  | 2026-Q1 | hoàn thành | 18/03/2026      | 18/03/2026   |
      | 2  | 2026-Q2 | hoàn thành | 19/06/2026      | 19/06/2026   |
      | 2  | 2026-Q3 | hoàn thành | 25/09/2026      | 25/09/2026   |
    Khi kiểm tra theo quy tắc "bao-cao-dinh-ky-qua-han"
    Thì không có phát hiện nào
