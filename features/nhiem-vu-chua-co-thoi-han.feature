# language: vi
Tính năng: Quy tắc nhiem-vu-chua-co-thoi-han: nhiệm vụ chưa có thời hạn dùng được
  Thời hạn do văn bản khác quyết định, hoặc cụm từ không đọc được, thì không thể kiểm tra
  quá hạn: dondoc nêu ra để người theo dõi bổ sung ngày cụ thể.

  Bối cảnh:
    Cho ngày kiểm tra là 22/11/2026
    Và kế hoạch năm 2026

  Kịch bản: Thời hạn "Theo lộ trình của Nghị quyết" chưa bổ sung ngày
    Cho các nhiệm vụ:
      | TT | Nhiệm vụ        | Đơn vị chủ trì | Thời gian thực hiện          |
      | 7  | Cắt giảm hồ sơ  | Phòng Kinh tế  | Theo lộ trình của Nghị quyết |
    Khi kiểm tra theo quy tắc "nhiem-vu-chua-co-thoi-han"
    Thì có phát hiện vi phạm cho nhiệm vụ "7"
    Và giá trị "deadline_kind" là "external"
    Và câu thông báo có "Theo lộ trình của Nghị quyết"

  Kịch bản: Cụm từ thời hạn không đọc được cũng được nêu, không bị bỏ qua
    Cho các nhiệm vụ:
      | TT | Nhiệm vụ  | Đơn vị chủ trì | Thời gian thực hiện |
      | 8  | Việc khác | Phòng Kinh tế  | Quý V/2026          |
    Khi kiểm tra theo quy tắc "nhiem-vu-chua-co-thoi-han"
    Thì có phát hiện vi phạm cho nhiệm vụ "8"
    Và giá trị "deadline_kind" là "unparsed"

  Kịch bản: Đã bổ sung ngày thì không còn bị nêu
    Cho các nhiệm vụ:
      | TT | Nhiệm vụ          | Đơn vị chủ trì | Thời gian thực hiện                 | Ngày bổ sung |
      | 6  | Đo lường hài lòng | Phòng Kinh tế  | Theo thời gian đánh giá của Sở Y tế | 30/09/2026   |
    Khi kiểm tra theo quy tắc "nhiem-vu-chua-co-thoi-han"
    Thì không có phát hiện nào

  Kịch bản: Thời hạn đọc được thì không bị nêu
    Cho các nhiệm vụ:
      | TT | Nhiệm vụ | Đơn vị chủ trì | Thời gian thực hiện |
      | 1  | Việc A   | Phòng Kinh tế  | Quý IV/2026         |
      | 2  | Việc B   | Phòng Kinh tế  | Thường xuyên        |
    Khi kiểm tra theo quy tắc "nhiem-vu-chua-co-thoi-han"
    Thì không có phát hiện nào
